// Setting Claude Code up for this proxy without a terminal: whether Claude Code's own settings
// point here, "Apply to Claude Code" / "Restore previous" on that file, and "Open a terminal with
// Claude Code" for users who want their settings left alone.
#pragma once

#include "claudecode/ClaudeSettingsFile.h"

#include <QWidget>

class QFileSystemWatcher;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace modelrelay {

class AppController;

class ClaudeCodePage : public QWidget {
    Q_OBJECT
public:
    // settingsPath: Claude Code's settings.json; terminalSettingsPath: where the file passed to
    // `claude --settings` by "Open a terminal" is kept.
    ClaudeCodePage(AppController &app, const QString &settingsPath, const QString &terminalSettingsPath,
                   QWidget *parent = nullptr);

    QLabel *status() const { return m_status; }
    QLabel *result() const { return m_result; }
    QPlainTextEdit *preview() const { return m_preview; }
    QPushButton *applyButton() const { return m_apply; }
    QPushButton *restoreButton() const { return m_restore; }
    QPushButton *terminalButton() const { return m_terminal; }
    const ClaudeSettingsFile &file() const { return m_file; }

public slots:
    void refresh();
    void applyToClaudeCode();
    void restorePrevious();
    void openTerminal();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showResult(bool ok, const QString &message);
    void watch();

    AppController &m_app;
    ClaudeSettingsFile m_file;
    QString m_terminalSettingsPath;
    QFileSystemWatcher *m_watcher;
    QLabel *m_status;
    QLabel *m_path;
    QPlainTextEdit *m_preview;
    QLabel *m_result;
    QPushButton *m_apply;
    QPushButton *m_restore;
    QPushButton *m_terminal;
};

} // namespace modelrelay
