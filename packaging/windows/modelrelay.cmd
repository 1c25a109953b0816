@echo off
rem modelrelay on PATH: runs bin\modelrelay.exe and waits for it, so --headless, --help and
rem --self-test behave as in any console program (the .exe itself is a GUI program). Only this
rem folder goes on PATH, not bin\ with its Qt libraries.
"%~dp0..\bin\modelrelay.exe" %*
