<#
.SYNOPSIS
  Windows QoS policies that put sipbridge's DSCP marks on the wire (NOT RUNNABLE on the Linux build
  machine; written for Windows 10/11 and Server 2016+, run as Administrator).

.DESCRIPTION
  Windows ignores the DSCP a program sets with IP_TOS (Java's setTrafficClass) unless a QoS policy
  marks the traffic. These policies match sipbridge's bundled executables (the jpackage launcher and
  the bundled java.exe, since both may own the sockets) and mark
    - RTP/RTCP (UDP, the media port range)      -> DSCP 46 (EF)   = media.rtpQosDscpValue default
    - SIP (UDP/TCP 8060, TLS 8061)              -> DSCP 24 (CS3)  = protocols.sipQosDscpValue default
  matching the config defaults; pass other values if IT changed them. The installer (build-msi.ps1)
  runs this script elevated after install, and with -Remove on uninstall.
  Policies created here are local ("ActiveStore" = localhost). For a fleet use Group Policy instead
  (docs/install.md, "Windows: DSCP with Policy-based QoS").

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File sipbridge-qos.ps1
  powershell -ExecutionPolicy Bypass -File sipbridge-qos.ps1 -RtpPorts 20000:30000 -Remove
#>
param(
  [string]$InstallDir = "$env:ProgramFiles\sipbridge",
  [string]$RtpPorts = "16384:32767",     # media.rtpPortRange (16384-32767)
  [int]$RtpDscp = 46,                    # media.rtpQosDscpValue / rtcpQosDscpValue
  [string]$SipPorts = "8060:8061",       # protocols.udp/tcp.port 8060, protocols.tls.port 8061
  [int]$SipDscp = 24,                    # protocols.sipQosDscpValue
  [switch]$Remove
)
$ErrorActionPreference = 'Stop'
$apps = @{ 'launcher' = (Join-Path $InstallDir 'sipbridge.exe'); 'java' = (Join-Path $InstallDir 'runtime\bin\java.exe') }

# Remove ours first so the script can be re-run after a config change (idempotent).
Get-NetQosPolicy -PolicyStore ActiveStore -ErrorAction SilentlyContinue |
  Where-Object { $_.Name -like 'sipbridge-*' } |
  ForEach-Object { Remove-NetQosPolicy -Name $_.Name -PolicyStore ActiveStore -Confirm:$false }
if ($Remove) { Write-Output 'sipbridge: QoS policies removed'; return }

$rtpLow, $rtpHigh = $RtpPorts.Split(':') | ForEach-Object { [uint16]$_ }
$sipLow, $sipHigh = $SipPorts.Split(':') | ForEach-Object { [uint16]$_ }
foreach ($name in $apps.Keys) {
  $exe = $apps[$name]
  # RTP and RTCP: UDP only, source port in the relay's range (both adapters use it).
  New-NetQosPolicy -Name "sipbridge-rtp-$name" -PolicyStore ActiveStore -AppPathNameMatchCondition $exe `
    -IPProtocolMatchCondition UDP -IPSrcPortStartMatchCondition $rtpLow -IPSrcPortEndMatchCondition $rtpHigh `
    -DSCPAction $RtpDscp -NetworkProfile All | Out-Null
  # SIP over UDP/TCP/TLS from the bridge's SIP ports.
  New-NetQosPolicy -Name "sipbridge-sip-$name" -PolicyStore ActiveStore -AppPathNameMatchCondition $exe `
    -IPProtocolMatchCondition Both -IPSrcPortStartMatchCondition $sipLow -IPSrcPortEndMatchCondition $sipHigh `
    -DSCPAction $SipDscp -NetworkProfile All | Out-Null
}
# Windows only applies DSCP from policies on non-domain networks when this is set
# (see "Do not use NLA" in docs/install.md).
New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip\QoS' -Force | Out-Null
Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip\QoS' -Name 'Do not use NLA' -Value '1' -Type String
Write-Output "sipbridge: QoS policies set (RTP $RtpPorts -> DSCP $RtpDscp, SIP $SipPorts -> DSCP $SipDscp)"
