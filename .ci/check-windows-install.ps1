<#
.SYNOPSIS
Installs siteassess's Inno Setup installer silently for the current user on Windows, checks
what it installed, and then uninstalls it and checks nothing is left: on Windows itself,
the checks tests/test_installer_wine.py makes under Wine, and those Wine cannot make (the
shell resolving "Open with", the {userpf} folder, the installed app's self-test).

.EXAMPLE
pwsh .ci/check-windows-install.ps1 -Step install -Setup dist\installer\siteassess-0.1.0-setup.exe -Bundle dist\siteassess
pwsh .ci/check-windows-install.ps1 -Step uninstall
#>
param(
    [Parameter(Mandatory = $true)] [ValidateSet("install", "uninstall")] [string] $Step,
    [string] $Setup = "",
    [string] $Bundle = "",
    [string] $Logs = $(if ($env:RUNNER_TEMP) { $env:RUNNER_TEMP } else { $env:TEMP })
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Name = "siteassess"
$AppId = "{7D4B3F2E-5A1C-4E8B-9F60-2C1D3A4B5E6F}"  # build_installer.APP_ID
# Known folders, as long paths (the runner's TEMP can be an 8.3 short path; Setup writes long ones).
$App = Join-Path ([Environment]::GetFolderPath("LocalApplicationData")) "Programs\$Name"
$Exe = Join-Path $App "$Name.exe"
$Sample = Join-Path $App "_internal\sample_sites\hauts-de-france\project.toml"
$StartMenu = [Environment]::GetFolderPath("Programs")
$AllUsersMenu = [Environment]::GetFolderPath("CommonPrograms")
$ProgId = "$Name.project"
$ProgIdKey = "HKCU:\Software\Classes\$ProgId"
$OpenWith = "HKCU:\Software\Classes\.toml\OpenWithProgids"
$UninstallKey = "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\${AppId}_is1"

function Fail([string] $Message) { throw "check failed: $Message" }

function Test-RegValue([string] $Key, [string] $Value) {
    $item = Get-Item -LiteralPath $Key -ErrorAction SilentlyContinue
    return ($null -ne $item) -and ($item.GetValueNames() -contains $Value)
}

function Get-RegDefault([string] $Key) {
    $item = Get-Item -LiteralPath $Key -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.GetValue("", $null)
}

function Get-ShellCommand([string] $Assoc) {
    # The command the Windows shell runs to open a file of this ProgId (HKCU and HKLM merged).
    if (-not ("Win32.Shlwapi" -as [type])) {
        Add-Type -Namespace Win32 -Name Shlwapi -MemberDefinition @'
[DllImport("shlwapi.dll", CharSet = CharSet.Unicode)]
public static extern int AssocQueryString(int flags, int str, string assoc, string extra,
    System.Text.StringBuilder outStr, ref uint outLen);
'@
    }
    $out = New-Object System.Text.StringBuilder 2048
    [uint32] $length = 2048
    $hr = [Win32.Shlwapi]::AssocQueryString(0, 1, $Assoc, "open", $out, [ref] $length)  # ASSOCSTR_COMMAND
    if ($hr -ne 0) { return $null }
    return $out.ToString()
}

function Get-Shortcut([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path)) { Fail "no shortcut $Path" }
    return (New-Object -ComObject WScript.Shell).CreateShortcut($Path)
}

if ($Step -eq "install") {
    if (-not $Setup -or -not (Test-Path -LiteralPath $Setup)) { Fail "no setup program '$Setup'" }
    if (Test-Path -LiteralPath $App) { Fail "$App exists before the install" }
    $log = Join-Path $Logs "siteassess-install.log"
    $arguments = @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/CURRENTUSER", "/NORESTART", "/LOG=`"$log`"")
    $started = Get-Date
    $proc = Start-Process -FilePath $Setup -ArgumentList $arguments -Wait -PassThru
    Write-Host ("installed in {0:N1} s" -f ((Get-Date) - $started).TotalSeconds)
    $text = Get-Content -LiteralPath $log -Raw
    if ($proc.ExitCode -ne 0) { Fail "setup exited with $($proc.ExitCode):`n$text" }

    # Per user, never elevated: the per-user install mode, HKCU, the user's own folders.
    if ($text -notmatch "Administrative install mode: No") { Fail "setup ran in administrative mode" }
    if ($text -notmatch "Install mode root key: HKEY_CURRENT_USER") { Fail "setup did not write to HKCU" }
    # On Windows {userpf} is known: the fallback for Wine must not be the one taken.
    if ($text -match "SHGetKnownFolderPath failed") { Fail "{userpf} was not found" }
    foreach ($root in @($env:ProgramFiles, ${env:ProgramFiles(x86)})) {
        if ($root -and (Test-Path -LiteralPath (Join-Path $root $Name))) { Fail "installed in $root" }
    }
    if (Get-ChildItem -LiteralPath $AllUsersMenu -Filter "$Name*" -ErrorAction SilentlyContinue) {
        Fail "shortcut in the all-users Start menu"
    }
    if (Test-Path -LiteralPath "HKLM:\Software\Classes\$ProgId") { Fail "ProgId written to HKLM" }

    # The program, whole, in %LOCALAPPDATA%\Programs\siteassess.
    foreach ($f in @("$Name.exe", "$Name-cli.exe", "unins000.exe", "_internal")) {
        if (-not (Test-Path -LiteralPath (Join-Path $App $f))) { Fail "$f missing in $App" }
    }
    if ($Bundle) {
        $root = (Resolve-Path -LiteralPath $Bundle).Path
        $files = @(Get-ChildItem -LiteralPath $root -Recurse -File)
        foreach ($f in $files) {
            $rel = $f.FullName.Substring($root.Length).TrimStart("\")
            $copy = Get-Item -LiteralPath (Join-Path $App $rel) -ErrorAction SilentlyContinue
            if ($null -eq $copy -or $copy.Length -ne $f.Length) { Fail "$rel missing or different in $App" }
        }
        Write-Host "all $($files.Count) files of the bundle are installed"
    }

    # Start-menu shortcuts: the app, and the app on the bundled sample project.
    $link = Get-Shortcut (Join-Path $StartMenu "$Name.lnk")
    if ($link.TargetPath -ne $Exe) { Fail "shortcut points at '$($link.TargetPath)', not $Exe" }
    $link = Get-Shortcut (Join-Path $StartMenu "$Name (exemple).lnk")
    if ($link.TargetPath -ne $Exe -or $link.Arguments -ne "`"$Sample`"") {
        Fail "sample shortcut is '$($link.TargetPath) $($link.Arguments)'"
    }
    if (-not (Test-Path -LiteralPath $Sample)) { Fail "no sample project at $Sample" }

    # "Open with" for .toml project files, without taking the extension over.
    $want = "`"$Exe`" `"%1`""
    $got = Get-RegDefault "$ProgIdKey\shell\open\command"
    if ($got -ne $want) { Fail "open command is '$got', not '$want'" }
    if (-not (Test-RegValue $OpenWith $ProgId)) { Fail "$ProgId is not in .toml's OpenWithProgids" }
    $icon = Get-RegDefault "$ProgIdKey\DefaultIcon"
    if ($icon -ne "$Exe,0") { Fail "project files' icon is '$icon', not '$Exe,0'" }
    if ((Get-RegDefault "HKCU:\Software\Classes\.toml") -eq $ProgId) { Fail ".toml was taken over" }
    $shell = Get-ShellCommand $ProgId
    if ($shell -ne $want) { Fail "the shell opens $ProgId with '$shell', not '$want'" }
    if (-not (Test-Path -LiteralPath $UninstallKey)) { Fail "no entry in Apps & features ($UninstallKey)" }

    # The installed app works.
    & (Join-Path $App "$Name-cli.exe") --self-test
    if ($LASTEXITCODE -ne 0) { Fail "the installed self-test failed ($LASTEXITCODE)" }
    Write-Host "install checks passed"
}
else {
    $uninstaller = Join-Path $App "unins000.exe"
    if (-not (Test-Path -LiteralPath $uninstaller)) { Fail "no uninstaller $uninstaller" }
    $log = Join-Path $Logs "siteassess-uninstall.log"
    $arguments = @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/LOG=`"$log`"")
    $started = Get-Date
    $proc = Start-Process -FilePath $uninstaller -ArgumentList $arguments -Wait -PassThru
    if ($proc.ExitCode -ne 0) { Fail "uninstaller exited with $($proc.ExitCode)" }
    # The uninstaller goes on from a temporary copy of itself: wait for the folder to go.
    $deadline = (Get-Date).AddSeconds(120)
    while ((Test-Path -LiteralPath $App) -and ((Get-Date) -lt $deadline)) { Start-Sleep -Seconds 1 }
    Write-Host ("uninstalled in {0:N1} s" -f ((Get-Date) - $started).TotalSeconds)
    if (Test-Path -LiteralPath $App) {
        $left = Get-ChildItem -LiteralPath $App -Recurse | ForEach-Object { $_.FullName }
        Fail "left behind in ${App}:`n$($left -join "`n")`n$(Get-Content -LiteralPath $log -Raw)"
    }
    if (Get-ChildItem -LiteralPath $StartMenu -Filter "$Name*" -ErrorAction SilentlyContinue) {
        Fail "a shortcut is left in $StartMenu"
    }
    if (Test-Path -LiteralPath $ProgIdKey) { Fail "$ProgIdKey is left" }
    if (Test-RegValue $OpenWith $ProgId) { Fail "$ProgId is left in .toml's OpenWithProgids" }
    if (Test-Path -LiteralPath $UninstallKey) { Fail "$UninstallKey is left" }
    Write-Host "uninstall checks passed"
}
