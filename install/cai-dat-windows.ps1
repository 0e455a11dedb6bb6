# Cài đặt thidua_xl cho máy Windows của cán bộ thi đua, khen thưởng (không cần quyền quản trị).
#
#   1. chọn Python: 64-bit, cài từ python.org (không phải bản Microsoft Store), ưu tiên phiên bản
#      đã được thử (TestedVersions);
#   2. tạo (hoặc tạo lại, nếu hỏng) môi trường Python riêng ở một thư mục không dấu, ghi vào biến
#      môi trường THIDUA_HOME của người dùng: trang ẩn "xlwings.conf" của ThiDua.xlsm chỉ tới
#      %THIDUA_HOME%\venv\Scripts\pythonw.exe và %THIDUA_HOME%\tmp (xlwings gọi các đường dẫn này
#      bằng hàm ANSI: tên tài khoản có dấu, như C:\Users\Nguyễn..., làm hỏng chúng);
#   3. cài thidua_xl và đúng phiên bản xlwings đã dựng ThiDua.xlsm, từ Internet hoặc, khi có
#      thư mục install\wheels (bộ cài ngoại tuyến), chỉ từ thư mục đó; rồi thử
#      "import xlwings, win32api, thidua_xl.xl" như Excel sẽ làm; bộ xử lý đời cũ (Pentium, Celeron
#      không có AVX2, FMA, BMI) được cài thêm bản tương thích của Polars (polars-runtime-compat);
#   4. chép ThiDua.xlsm vào thư mục làm việc (mặc định ngoài OneDrive), gỡ chặn macro của tệp tải
#      về (Unblock-File) và đưa thư mục đó vào "Trusted Locations" của Excel (HKCU).
#
# Chạy: nhấp đúp cai-dat.bat, hoặc
#   powershell -ExecutionPolicy Bypass -File install\cai-dat-windows.ps1 [-ThuMuc D:\ThiDua]
#       [-Python C:\...\python.exe] [-Proxy http://proxy:8080] [-ThuMucPython C:\ThiDua]
# The file is UTF-8 with BOM: Windows PowerShell 5.1 reads a file without BOM as ANSI.
# Functions first, then Main: tests dot-source the file (". .\cai-dat-windows.ps1") to call them alone.
param(
    [string]$ThuMuc = "",
    [string]$Python = "",
    [string]$Proxy = "",
    [string]$ThuMucPython = ""
)

$TestedVersions = @("3.11", "3.12")   # CI runs the test suite on these; the first one found is used
$MinVersion = "3.11"
$HomeVariable = "THIDUA_HOME"         # = HOME_VARIABLE of thidua_xl/workbook/xlsm.py
# no double quote inside: Windows PowerShell 5.1 drops them from a native command's arguments
$PythonProbe = "import struct, sys; print('%d.%d|%d|%s|%s' % (sys.version_info[0], sys.version_info[1], struct.calcsize('P') * 8, sys.executable, sys.base_prefix))"
$VerifyImports = "import xlwings, win32api, thidua_xl.xl"
# prints one JSON line (polars, runtime, missing processor features, ...) without loading native code
$CpuProbe = "thidua_xl.polars_cpu"

function Fail($msg) { Write-Host "LỖI: $msg" -ForegroundColor Red; exit 1 }
function Warn($msg) { Write-Host "LƯU Ý: $msg" -ForegroundColor Yellow }

function Test-Ascii([string]$Text) { return -not ($Text -match '[^\x00-\x7F]') }

function Test-InOneDrive([string]$Path) {
    foreach ($root in @($env:OneDrive, $env:OneDriveCommercial, $env:OneDriveConsumer)) {
        if ($root -and $Path.TrimEnd('\').StartsWith($root.TrimEnd('\'), [StringComparison]::OrdinalIgnoreCase)) { return $true }
    }
    return $false
}

function Test-StorePython([string]$Executable, [string]$BasePrefix) {
    # Microsoft Store Python runs from WindowsApps and redirects its AppData: Excel would not find the venv
    return ("$Executable $BasePrefix" -match 'WindowsApps|PythonSoftwareFoundation\.Python')
}

# One Python, as it describes itself: @{Version; Bits; Executable; BasePrefix; Exe; Args}; $null if it does not run.
function Get-PythonInfo([string]$Exe, [string[]]$PyArgs) {
    if (-not (Get-Command $Exe -ErrorAction SilentlyContinue)) { return $null }
    $out = & $Exe @PyArgs -c $PythonProbe | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0 -or "$out" -notmatch '^(\d+\.\d+)\|(\d+)\|(.*)\|(.*)$') { return $null }
    return [pscustomobject]@{ Version = $Matches[1]; Bits = [int]$Matches[2]; Executable = $Matches[3];
                              BasePrefix = $Matches[4]; Exe = $Exe; Args = $PyArgs }
}

# Every Python worth trying, best first: the one asked for, the tested versions through the py launcher, then any.
function Find-Pythons([string]$Asked) {
    $found = @()
    if ($Asked) {
        $info = Get-PythonInfo $Asked @()
        if ($info) { $found += $info }
        return $found
    }
    foreach ($v in $TestedVersions) { $found += Get-PythonInfo "py" @("-$v") }
    $found += Get-PythonInfo "py" @("-3")
    $found += Get-PythonInfo "python" @()
    return @($found | Where-Object { $_ })
}

# The Python to use, or a Vietnamese reason why none fits (@{Python; Reason}).
function Select-Python($Candidates, [string]$WheelVersion) {
    $usable = @($Candidates | Where-Object {
        $_.Bits -eq 64 -and -not (Test-StorePython $_.Executable $_.BasePrefix) -and [version]$_.Version -ge [version]$MinVersion })
    if ($WheelVersion) {
        $match = @($usable | Where-Object { $_.Version -eq $WheelVersion })
        if ($match.Count -gt 0) { return @{ Python = $match[0]; Reason = "" } }
    }
    $tested = @($usable | Where-Object { $TestedVersions -contains $_.Version })
    if ($tested.Count -gt 0) { return @{ Python = $tested[0]; Reason = "" } }
    if ($usable.Count -gt 0) { return @{ Python = $usable[0]; Reason = "" } }
    $get = "Hãy cài Python $($TestedVersions[0]) bản 'Windows installer (64-bit)' từ https://www.python.org/downloads/windows/ (đánh dấu 'Add python.exe to PATH') rồi chạy lại tệp này."
    $bits32 = @($Candidates | Where-Object { $_.Bits -ne 64 })
    if ($bits32.Count -gt 0) {
        return @{ Python = $null; Reason = "Python $($bits32[0].Version) trên máy là bản 32-bit ($($bits32[0].Executable)). Phần mềm cần Python 64-bit: các thư viện tính toán (pandas, polars) không có bản 32-bit. Không cần đổi Office: Excel 32-bit vẫn dùng được Python 64-bit. $get" }
    }
    $store = @($Candidates | Where-Object { Test-StorePython $_.Executable $_.BasePrefix })
    if ($store.Count -gt 0) {
        return @{ Python = $null; Reason = "Python $($store[0].Version) trên máy là bản cài từ Microsoft Store. Excel không dùng được bản này (Store đặt dữ liệu của nó vào thư mục riêng nên Excel không thấy môi trường Python của phần mềm). $get" }
    }
    $old = @($Candidates | Where-Object { [version]$_.Version -lt [version]$MinVersion })
    if ($old.Count -gt 0) { return @{ Python = $null; Reason = "Python trên máy là bản $($old[0].Version), cần $MinVersion trở lên. $get" } }
    return @{ Python = $null; Reason = "Chưa có Python (hoặc lệnh python chỉ mở Microsoft Store). $get" }
}

# The Python version the offline wheels were downloaded for ("3.11" from cp311 tags), "" if none.
function Get-WheelVersion([string]$Folder) {
    if (-not (Test-Path -LiteralPath $Folder)) { return "" }
    foreach ($w in Get-ChildItem -LiteralPath $Folder -Filter "*.whl") {
        if ($w.Name -match '-cp3(\d+)-cp3\d+m?-win_amd64\.whl$') { return "3.$($Matches[1])" }
    }
    return ""
}

# An ASCII folder for Python and its temp files: %LOCALAPPDATA%\ThiDua, or C:\ThiDua\<user number> for a
# profile whose path has Vietnamese letters.
function Get-HomeDir([string]$Asked) {
    if ($Asked) { return $Asked }
    $default = Join-Path $env:LOCALAPPDATA "ThiDua"
    if (Test-Ascii $default) { return $default }
    $rid = [Security.Principal.WindowsIdentity]::GetCurrent().User.Value.Split('-')[-1]
    return (Join-Path $env:SystemDrive "ThiDua\$rid")
}

# True when the venv runs, has the chosen Python's version and bitness, and its base Python still exists.
function Test-Venv([string]$VenvPython, $Chosen) {
    if (-not (Test-Path -LiteralPath $VenvPython)) { return $false }
    $info = Get-PythonInfo $VenvPython @()
    if (-not $info) { return $false }
    return ($info.Version -eq $Chosen.Version -and $info.Bits -eq 64 -and (Test-Path -LiteralPath $info.BasePrefix))
}

# The working folder: the one used last time, else Documents\ThiDua unless Documents is on OneDrive,
# else %USERPROFILE%\ThiDua.
function Get-WorkFolder([string]$Asked, [string]$HomeDir) {
    if ($Asked) { return $Asked }
    $memo = Join-Path $HomeDir "thu-muc.txt"
    if (Test-Path -LiteralPath $memo) {
        $last = (Get-Content -LiteralPath $memo -Encoding UTF8 | Select-Object -First 1)
        if ($last -and (Test-Path -LiteralPath $last)) { return $last }
    }
    $docs = Join-Path ([Environment]::GetFolderPath("MyDocuments")) "ThiDua"
    if ((Test-Path -LiteralPath (Join-Path $docs "ThiDua.xlsm")) -or -not (Test-InOneDrive $docs)) { return $docs }
    return (Join-Path $env:USERPROFILE "ThiDua")
}

function Main {
    $ErrorActionPreference = "Stop"
    # any unexpected error (missing file, registry denied, ...) ends with one readable line, not a stack
    trap { Fail "$($_.Exception.Message)" }

    $Repo = Split-Path -Parent $PSScriptRoot
    $Workbook = Join-Path $Repo "workbooks\ThiDua.xlsm"
    $Wheels = Join-Path $PSScriptRoot "wheels"
    if (-not (Test-Path -LiteralPath $Workbook)) { Fail "Không thấy $Workbook (hãy giải nén cả bộ cài: chuột phải tệp .zip, Extract All, rồi chạy tệp này từ thư mục install)." }
    if (Get-Process -Name EXCEL -ErrorAction SilentlyContinue) {
        Fail "Excel đang mở. Hãy lưu và đóng hết cửa sổ Excel (xem cả biểu tượng Excel dưới thanh tác vụ) rồi chạy lại tệp này: Excel chỉ nhận cài đặt mới khi được mở lại."
    }

    # 1. Python
    $WheelVersion = Get-WheelVersion $Wheels
    $pick = Select-Python (Find-Pythons $Python) $WheelVersion
    if (-not $pick.Python) { Fail $pick.Reason }
    $Py = $pick.Python
    Write-Host "Python $($Py.Version) 64-bit: $($Py.Executable)"
    if ($TestedVersions -notcontains $Py.Version) { Warn "Python $($Py.Version) chưa được thử với phần mềm này; nên dùng Python $($TestedVersions[0])." }
    $Offline = [bool]$WheelVersion
    if ($Offline -and $Py.Version -ne $WheelVersion) {
        Fail "Bộ cài ngoại tuyến (thư mục install\wheels) dành cho Python $WheelVersion 64-bit, máy đang có Python $($Py.Version). Hãy cài Python $WheelVersion từ python.org rồi chạy lại."
    }

    # 2. môi trường riêng, ở thư mục không dấu
    $HomeDir = Get-HomeDir $ThuMucPython
    if (-not (Test-Ascii $HomeDir)) { Fail "Thư mục cho Python phải không dấu (đang là $HomeDir). Hãy chạy lại với -ThuMucPython C:\ThiDua." }
    $Venv = Join-Path $HomeDir "venv"
    $VPy = Join-Path $Venv "Scripts\python.exe"
    New-Item -ItemType Directory -Force -Path (Join-Path $HomeDir "tmp") | Out-Null
    if ((Test-Path -LiteralPath $Venv) -and -not (Test-Venv $VPy $Py)) {
        Write-Host "Môi trường Python cũ ở $Venv bị hỏng hoặc khác phiên bản: tạo lại."
        Remove-Item -LiteralPath $Venv -Recurse -Force
    }
    if (-not (Test-Path -LiteralPath $VPy)) {
        Write-Host "Tạo môi trường Python tại $Venv"
        $cmd = $Py.Command
        & $cmd[0] @($cmd[1..($cmd.Count)] | Where-Object { $_ }) -m venv $Venv
        if ($LASTEXITCODE -ne 0) { Fail "Không tạo được môi trường Python tại $Venv." }
    }
    [Environment]::SetEnvironmentVariable($HomeVariable, $HomeDir, "User")
    Set-Item -Path "env:$HomeVariable" -Value $HomeDir

    # 3. thư viện: đúng phiên bản xlwings đã dựng ThiDua.xlsm (thuộc tính ThiDuaXlwingsVersion)
    # it is recorded as a custom document property: <property name="ThiDuaXlwingsVersion"><vt:lpwstr>
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead($Workbook)
    try {
        $entry = $zip.GetEntry("docProps/custom.xml")
        if (-not $entry) { Fail "$Workbook không có docProps/custom.xml (tệp không do thidua build-workbook dựng)." }
        $stream = $entry.Open()
        $reader = New-Object IO.StreamReader($stream, [Text.Encoding]::UTF8)
        try { $custom = [xml]$reader.ReadToEnd() } finally { $reader.Close() }
    } finally { $zip.Dispose() }
    $ns = New-Object System.Xml.XmlNamespaceManager($custom.NameTable)
    $ns.AddNamespace("cp", "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties")
    $ns.AddNamespace("vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes")
    $PropName = "ThiDuaXlwingsVersion"
    $node = $custom.SelectSingleNode("/cp:Properties/cp:property[@name='$PropName']/vt:lpwstr", $ns)
    $XlwingsVersion = if ($node) { $node.InnerText.Trim() } else { "" }
    if (-not $XlwingsVersion) { Fail "Không đọc được phiên bản xlwings trong $Workbook." }
    $pipArgs = @("-m", "pip", "install", "--disable-pip-version-check")
    if ($Offline) {
        Write-Host "Cài thidua_xl và xlwings $XlwingsVersion từ $Wheels (không cần Internet)"
        $pipArgs += @("--no-index", "--find-links", $Wheels, "thidua_xl", "xlwings==$XlwingsVersion")
    } else {
        Write-Host "Cài thidua_xl và xlwings $XlwingsVersion từ Internet (có thể mất vài phút)"
        if ($Proxy) { $pipArgs += @("--proxy", $Proxy) }
        $pipArgs += @("$Repo", "xlwings==$XlwingsVersion")
    }
    & $VPy @pipArgs
    if ($LASTEXITCODE -ne 0) {
        if ($Offline) { Fail "pip không cài được từ $Wheels: thư mục thiếu tệp (xem thông báo ở trên); hãy lấy lại bộ cài ngoại tuyến đầy đủ." }
        Fail "pip không tải được thư viện (xem thông báo ở trên). Nếu cơ quan vào Internet qua proxy: chạy cai-dat.bat -Proxy http://dia-chi-proxy:cong. Nếu máy không có Internet: dùng bộ cài ngoại tuyến (có thư mục install\wheels)."
    }
    # an older Pentium/Celeron lacks AVX2/FMA/BMI: the default Polars runtime would kill every data
    # command with an illegal instruction; the compatible runtime of the same version runs anywhere
    # and Polars prefers it once installed
    $cpuLine = (& $VPy -m $CpuProbe | Select-Object -Last 1)
    if ($LASTEXITCODE -ne 0 -or -not $cpuLine) { Fail "Đã cài nhưng Python chưa chạy được phần kiểm tra bộ xử lý ($CpuProbe). Hãy chạy lại tệp này; nếu vẫn lỗi, gửi ảnh màn hình cho bộ phận kỹ thuật." }
    $cpu = $cpuLine | ConvertFrom-Json
    $missing = @($cpu.missing | Where-Object { $_ })
    if ($missing.Count -gt 0 -and $cpu.runtime -eq "compat") {
        Fail "Bộ xử lý của máy thiếu các tính năng $($missing -join ', '), cả bản tương thích của Polars $($cpu.polars) cũng cần. Hãy dùng một máy tính đời mới hơn."
    }
    if ($missing.Count -gt 0) {
        Write-Host "Bộ xử lý của máy thiếu các tính năng $($missing -join ', ') mà Polars $($cpu.polars) bản thường cần: cài bản tương thích polars-runtime-compat $($cpu.polars)"
        $compatArgs = @("-m", "pip", "install", "--disable-pip-version-check")
        if ($Offline) { $compatArgs += @("--no-index", "--find-links", $Wheels) } elseif ($Proxy) { $compatArgs += @("--proxy", $Proxy) }
        & $VPy @compatArgs "polars-runtime-compat==$($cpu.polars)"
        if ($LASTEXITCODE -ne 0) { Fail "Không cài được polars-runtime-compat $($cpu.polars) (xem thông báo ở trên). Máy này cần bản đó để đọc dữ liệu; bộ cài ngoại tuyến phải có tệp polars_runtime_compat-$($cpu.polars)-...whl trong install\wheels." }
        $cpuLine = (& $VPy -m $CpuProbe | Select-Object -Last 1)
        if ($LASTEXITCODE -ne 0 -or -not $cpuLine -or ($cpuLine | ConvertFrom-Json).runtime -ne "compat") { Fail "Đã cài polars-runtime-compat nhưng Polars chưa dùng bản đó. Gửi ảnh màn hình cho bộ phận kỹ thuật." }
        Write-Host "Đã cài bản tương thích của Polars: máy dùng được, đọc dữ liệu chậm hơn một chút."
    }
    # what Excel will do on the first click: import the adapter with the same interpreter
    & $VPy -c $VerifyImports
    if ($LASTEXITCODE -ne 0) { Fail "Đã cài nhưng Python chưa nạp được phần mềm ($VerifyImports). Hãy chạy lại tệp này; nếu vẫn lỗi, gửi ảnh màn hình cho bộ phận kỹ thuật." }
    $installed = (& $VPy -c "import xlwings; print(xlwings.__version__)" | Select-Object -Last 1)
    if ("$installed" -ne $XlwingsVersion) { Fail "Cần xlwings $XlwingsVersion nhưng môi trường có $installed." }

    # 4. tệp làm việc, gỡ chặn, Trusted Location
    $ThuMuc = Get-WorkFolder $ThuMuc $HomeDir
    # a full path: Excel compares the Trusted Location literally, a relative -ThuMuc would never match
    $ThuMuc = (New-Item -ItemType Directory -Force -Path $ThuMuc).FullName
    if (Test-InOneDrive $ThuMuc) {
        Warn "$ThuMuc nằm trong OneDrive: Excel có thể mở tệp bằng địa chỉ Internet, khi đó các nút không biết thư mục của tệp. Nên dùng thư mục ngoài OneDrive: cai-dat.bat -ThuMuc C:\ThiDua"
    }
    Set-Content -LiteralPath (Join-Path $HomeDir "thu-muc.txt") -Value $ThuMuc -Encoding UTF8
    $Dest = Join-Path $ThuMuc "ThiDua.xlsm"
    if (Test-Path -LiteralPath $Dest) {
        # never overwrite the officer's workbook (nor a ThiDua-moi.xlsm already in use): the new one goes beside it
        $Dest = Join-Path $ThuMuc "ThiDua-moi.xlsm"
        if (Test-Path -LiteralPath $Dest) { $Dest = Join-Path $ThuMuc ("ThiDua-moi-" + (Get-Date -Format "yyyyMMdd-HHmmss") + ".xlsm") }
        Write-Host "Đã có ThiDua.xlsm trong ${ThuMuc}: giữ nguyên, bản mới lưu thành $Dest"
    }
    Copy-Item -LiteralPath $Workbook -Destination $Dest
    Unblock-File -LiteralPath $Dest
    $office = Get-ChildItem "HKCU:\Software\Microsoft\Office" -ErrorAction SilentlyContinue |
        Where-Object { $_.PSChildName -match '^\d+\.\d+$' } | Sort-Object { [version]$_.PSChildName } | Select-Object -Last 1
    $officeVer = if ($office) { $office.PSChildName } else { "16.0" }
    $trusted = "HKCU:\Software\Microsoft\Office\$officeVer\Excel\Security\Trusted Locations"
    $key = Join-Path $trusted "ThiDua"
    New-Item -Path $key -Force | Out-Null
    New-ItemProperty -Path $key -Name "Path" -Value ($ThuMuc.TrimEnd('\') + '\') -PropertyType String -Force | Out-Null
    New-ItemProperty -Path $key -Name "AllowSubfolders" -Value 1 -PropertyType DWord -Force | Out-Null
    New-ItemProperty -Path $key -Name "Description" -Value "thidua_xl" -PropertyType String -Force | Out-Null
    $onNetwork = $ThuMuc.StartsWith('\\')
    if (-not $onNetwork) { $onNetwork = (New-Object IO.DriveInfo([IO.Path]::GetPathRoot($ThuMuc))).DriveType -eq "Network" }
    if ($onNetwork) {
        # a folder on a network share or mapped drive is trusted only when network locations are allowed at all
        New-ItemProperty -Path $trusted -Name "AllowNetworkLocations" -Value 1 -PropertyType DWord -Force | Out-Null
    }

    Write-Host ""
    Write-Host "XONG. Mở $Dest bằng Excel: thẻ 'Thi đua' trên thanh ribbon có các nút Kiểm tra, Tổng hợp, ..." -ForegroundColor Green
    Write-Host "Nếu không thấy thẻ: Alt+F8, chọn macro ThiDua_... (ví dụ ThiDua_KiemTra) rồi Run."
    Write-Host "Kiểm tra máy: $Venv\Scripts\thidua.exe doctor --workbook `"$Dest`""
}

# run unless dot-sourced by a test
if ($MyInvocation.InvocationName -ne '.') { Main }
