Attribute VB_Name = "ThiDua"
Option Explicit

' Ribbon callbacks of the "Thi dua" tab.
' Every button carries its action in its Tag; Python (thidua_xl.xl.run) does the
' work, so a new button needs a line in customUI14.xml, a Python function and a
' parameterless macro below (for Alt+F8 and the Quick Access Toolbar), nothing else.
' Every call goes through PreFlight first: it checks, with Scripting.FileSystemObject
' (Unicode-safe, unlike the VBA file functions xlwings uses), what RunPython needs,
' and says in Vietnamese what to do instead of xlwings' English "Could not find Interpreter!".
' Keep this file ASCII: VBA stores it in code page 1252. The Vietnamese messages live in
' the very hidden sheet "_thidua_vba" (key in column A, text in B) and are shown with
' WScript.Shell.Popup, which, unlike MsgBox, displays Unicode.

Private Const TEXT_SHEET As String = "_thidua_vba"
Private Const POPUP_CRITICAL As Long = 16

Public Sub RibbonRun(control As IRibbonControl)
    ' By name: the VBA editor gives one spelling to a word project-wide, and xlwings has "tag"; a
    ' project saved by Excel must keep this module's text (see docs/windows-smoke-test.md, B3).
    ThiDuaRun CallByName(control, "Tag", VbGet)
End Sub

' The same entry point for a shape, a form button or another macro: ThiDuaRun "kiem_tra"
Public Sub ThiDuaRun(ByVal action As String)
    If Not PreFlight() Then Exit Sub
    RunPython "import thidua_xl.xl as x; x.run('" & action & "')"
End Sub

' One macro per button, for when the ribbon does not show (Alt+F8, or File > Options >
' Quick Access Toolbar > Choose commands from: Macros).
Public Sub ThiDua_KiemTra()
    ThiDuaRun "kiem_tra"
End Sub

Public Sub ThiDua_TongHop()
    ThiDuaRun "tong_hop"
End Sub

Public Sub ThiDua_XuatVanBan()
    ThiDuaRun "xuat_van_ban"
End Sub

Public Sub ThiDua_InGiayKhen()
    ThiDuaRun "in_giay_khen"
End Sub

Public Sub ThiDua_CanChinhMauIn()
    ThiDuaRun "can_chinh_mau_in"
End Sub

Public Sub ThiDua_GuiEmail()
    ThiDuaRun "gui_email"
End Sub

Public Sub ThiDua_TachFile()
    ThiDuaRun "tach_file"
End Sub

Public Sub ThiDua_NhapFile()
    ThiDuaRun "nhap_file"
End Sub

Public Sub ThiDua_TinhHinhNop()
    ThiDuaRun "tinh_hinh_nop"
End Sub

Public Sub ThiDua_PhanHoi()
    ThiDuaRun "phan_hoi"
End Sub

Public Sub ThiDua_ThemDonVi()
    ThiDuaRun "them_don_vi"
End Sub

Public Sub ThiDua_LuuLichSu()
    ThiDuaRun "luu_lich_su"
End Sub

Public Sub ThiDua_MoThuMuc()
    ThiDuaRun "mo_thu_muc"
End Sub

Public Sub ThiDua_HuongDan()
    ThiDuaRun "huong_dan"
End Sub

' "thidua doctor" in a console window: works even when RunPython cannot start.
Public Sub ThiDua_KiemTraMay()
    Dim fso As Object, interp As String, exe As String
    Set fso = CreateObject("Scripting.FileSystemObject")
    interp = GetConfig("INTERPRETER_WIN", "")
    exe = fso.GetParentFolderName(interp) & "\thidua.exe"
    If InStr(interp, "%") > 0 Or Not fso.FileExists(exe) Then
        Say "no_python", interp
        Exit Sub
    End If
    CreateObject("WScript.Shell").Run "cmd.exe /k """"" & exe & """ doctor --workbook """ & _
        ThisWorkbook.FullName & """""", 1, False
End Sub

' What RunPython needs, checked before it runs; False after telling the user what to do.
Private Function PreFlight() As Boolean
    Dim fso As Object, interp As String, venv As String, site As String, tmp As String
    On Error GoTo Broken
    Set fso = CreateObject("Scripting.FileSystemObject")
    interp = GetConfig("INTERPRETER_WIN", "")
    If InStr(interp, "%") > 0 Then
        Say "no_home", interp
        Exit Function
    End If
    If Not IsAscii(interp) Then
        Say "not_ascii", interp
        Exit Function
    End If
    If Not fso.FileExists(interp) Then
        Say "no_python", interp
        Exit Function
    End If
    venv = fso.GetParentFolderName(fso.GetParentFolderName(interp))
    site = venv & "\Lib\site-packages"
    If Not HasFolderLike(fso, site, "thidua_xl-", ".dist-info") Or Not fso.FileExists(site & "\win32\win32api.pyd") Then
        Say "no_package", venv
        Exit Function
    End If
    If Not fso.FolderExists(site & "\xlwings-" & XLWINGS_VERSION & ".dist-info") Then
        Say "xlwings_version", XLWINGS_VERSION, venv
        Exit Function
    End If
    tmp = GetConfig("TEMP DIR", Environ("Temp"))
    If InStr(tmp, "%") > 0 Or Not IsAscii(tmp) Then
        Say "temp_not_ascii", tmp
        Exit Function
    End If
    If Not fso.FolderExists(tmp) Then fso.CreateFolder tmp
    PreFlight = True
    Exit Function
Broken:
    Say "preflight_error", Err.Description
End Function

' True when every character of text is ASCII: xlwings builds its command and log paths with
' ANSI calls, so a Vietnamese letter there breaks RunPython before Python starts.
Public Function IsAscii(ByVal text As String) As Boolean
    Dim i As Long, code As Long
    For i = 1 To Len(text)
        code = AscW(Mid$(text, i, 1))
        If code < 0 Or code > 127 Then Exit Function
    Next i
    IsAscii = True
End Function

Private Function HasFolderLike(fso As Object, ByVal parent As String, ByVal prefix As String, _
                               ByVal suffix As String) As Boolean
    Dim candidate As Object
    If Not fso.FolderExists(parent) Then Exit Function
    For Each candidate In fso.GetFolder(parent).SubFolders
        If LCase$(Left$(candidate.Name, Len(prefix))) = prefix And LCase$(Right$(candidate.Name, Len(suffix))) = suffix Then
            HasFolderLike = True
            Exit Function
        End If
    Next candidate
End Function

' The text of a message from the hidden sheet, {0} and {1} replaced.
Public Function MessageText(ByVal key As String, Optional ByVal arg0 As String = "", _
                            Optional ByVal arg1 As String = "") As String
    Dim sht As Object, r As Long, found As String
    On Error Resume Next
    Set sht = ThisWorkbook.Worksheets(TEXT_SHEET)
    On Error GoTo 0
    If Not sht Is Nothing Then
        For r = 1 To 200
            If CStr(sht.Cells(r, 1).Value) = key Then
                found = CStr(sht.Cells(r, 2).Value)
                Exit For
            End If
            If CStr(sht.Cells(r, 1).Value) = "" Then Exit For
        Next r
    End If
    If found = "" And key = "title" Then found = "Thi dua"
    If found = "" Then
        found = "Thi dua: chua chay duoc (" & key & ": {0} {1}). Hay dong Excel, chay install\cai-dat.bat " & _
                "trong thu muc bo cai roi mo lai tep nay."
    End If
    MessageText = Replace(Replace(found, "{0}", arg0), "{1}", arg1)
End Function

Private Sub Say(ByVal key As String, Optional ByVal arg0 As String = "", Optional ByVal arg1 As String = "")
    CreateObject("WScript.Shell").Popup MessageText(key, arg0, arg1), 0, MessageText("title"), POPUP_CRITICAL
End Sub
