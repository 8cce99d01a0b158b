<#
.SYNOPSIS
  Builds the Windows installer (.msi, or .exe with -Type exe) of sipbridge with a bundled runtime.
  NOT RUNNABLE on the Linux build machine: run on Windows 10/11 with JDK 17+ and WiX Toolset 3.x
  (candle.exe/light.exe on PATH; jpackage 17 requires WiX 3, not 4/5).

.DESCRIPTION
  1. jdeps + jlink: a minimal runtime with the modules the shaded jar uses (as packaging/linux/build-deb.sh).
  2. jpackage --type app-image, then the QoS script is copied into the image.
  3. jpackage --type msi|exe with --resource-dir packaging\windows\wix: a main.wxs there replaces
     jpackage's. jpackage 17 compiles only main.wxs, so ours is jpackage's own plus the contents of
     wix\sipbridge-extra.wxs pasted in (two additions):
       - start at login: HKLM\...\CurrentVersion\Run\sipbridge = "[INSTALLDIR]sipbridge.exe" run
         (the tray icon appears in every user's session; the one-instance lock keeps it to one bridge);
       - a deferred, elevated custom action runs sipbridge-qos.ps1 after install and with -Remove
         before uninstall (DSCP marks; see docs/install.md).
     To make or refresh main.wxs for a JDK: run once with -DumpWix, copy <Out>\wix-temp\config\main.wxs
     into packaging\windows\wix\ and paste in the Fragment and the references listed at the top of
     sipbridge-extra.wxs. (Not committed yet: it must come from a Windows JDK's jpackage.) Without it,
     -Type msi still builds a working installer, just without start-at-login and the QoS step: then run
     sipbridge-qos.ps1 by hand.
  Priority: the launcher cannot raise itself to Above Normal; the Run entry starts it through
  "cmd /c start "" /abovenormal ..." so Windows gives it Above Normal priority like the reference.

.EXAMPLE
  mvn -q -DskipTests package
  powershell -ExecutionPolicy Bypass -File packaging\windows\build-msi.ps1 -Version 0.1.0
#>
param(
  [string]$Jar = "bridge-daemon\target\sipbridge.jar",
  [string]$Out = "bridge-daemon\target\installers-windows",
  [string]$Version = "0.1.0",
  [ValidateSet('msi', 'exe')][string]$Type = 'msi',
  [switch]$DumpWix
)
$ErrorActionPreference = 'Stop'
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
Remove-Item -Recurse -Force $Out -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$Out\input" | Out-Null
Copy-Item $Jar "$Out\input\sipbridge.jar"

$modules = (& jdeps --ignore-missing-deps --multi-release 17 --print-module-deps $Jar).Trim()
$modules += ",jdk.crypto.ec,jdk.naming.dns,jdk.localedata"
& jlink --add-modules $modules --output "$Out\runtime" --strip-debug --no-header-files --no-man-pages --compress=2 --include-locales=en
if ($LASTEXITCODE) { throw "jlink failed" }

$common = @('--name', 'sipbridge', '--app-version', $Version, '--vendor', 'sipbridge',
            '--description', 'Desk IP phone to office PBX relay over the VPN', '--dest', $Out)
# jpackage wants an .ico on Windows: make it once from packaging\linux\sipbridge.png,
# e.g. `magick packaging\linux\sipbridge.png -define icon:auto-resize=256,48,32,16 packaging\windows\sipbridge.ico`.
$icon = @(); if (Test-Path "$here\sipbridge.ico") { $icon = @('--icon', "$here\sipbridge.ico") }
# The JVM options every launcher uses (packaging\sipbridge.jvmopts; why: docs\benchmarks.md, "Idle footprint").
$javaOptions = @(Get-Content "$here\..\sipbridge.jvmopts" | Where-Object { $_ -and -not $_.StartsWith('#') } |
                 ForEach-Object { '--java-options', $_ })
& jpackage --type app-image --input "$Out\input" --main-jar sipbridge.jar --main-class org.sipbridge.daemon.Main `
  --runtime-image "$Out\runtime" @javaOptions @icon @common
if ($LASTEXITCODE) { throw "jpackage app-image failed" }
Copy-Item "$here\sipbridge-qos.ps1" "$Out\sipbridge\sipbridge-qos.ps1"

$extra = @()
if ($DumpWix) { $extra = @('--temp', "$Out\wix-temp", '--verbose') } else { $extra = @('--resource-dir', "$here\wix") }
& jpackage --type $Type --app-image "$Out\sipbridge" --win-menu --win-menu-group sipbridge --win-shortcut `
  --win-upgrade-uuid 6f1d3c2e-5b7a-4e0b-9a55-2f3c8d1e7a41 @extra @common
if ($LASTEXITCODE) { throw "jpackage $Type failed" }
Get-ChildItem "$Out\sipbridge-*.$Type" | ForEach-Object { "build-msi: $($_.FullName) ($([math]::Round($_.Length / 1MB)) MB)" }
