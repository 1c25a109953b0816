# Adds a folder to, or removes it from, the PATH of the current user or of the machine, keeping
# the other entries as written (%VARIABLES% stay unexpanded). The installer runs it for its
# "Add to PATH" option, the uninstaller to undo that; by hand for the portable ZIP:
#   powershell -ExecutionPolicy Bypass -File path.ps1 -Dir <folder>\cmd [-Scope AllUsers] [-Remove]
param(
    [Parameter(Mandatory = $true)][string]$Dir,
    [ValidateSet('CurrentUser', 'AllUsers')][string]$Scope = 'CurrentUser',
    [switch]$Remove
)
$ErrorActionPreference = 'Stop'
$key = if ($Scope -eq 'AllUsers') { 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment' } else { 'HKCU:\Environment' }
$current = [string](Get-Item -LiteralPath $key).GetValue('Path', '', 'DoNotExpandEnvironmentNames')
$dirTrimmed = $Dir.TrimEnd('\')
$entries = @($current -split ';' | Where-Object { $_ -ne '' -and $_.TrimEnd('\') -ne $dirTrimmed })
if (-not $Remove) { $entries += $dirTrimmed }
Set-ItemProperty -LiteralPath $key -Name 'Path' -Value ($entries -join ';') -Type ExpandString
