Attribute VB_Name = "ThiDua"
Option Explicit

' Ribbon callbacks of the "Thi dua" tab.
' Every button carries its action in its Tag; Python (thidua_xl.xl.run) does the
' work, so a new button needs a line in customUI14.xml and a Python function, no VBA.
' Keep this file ASCII: VBA stores it in code page 1252.

Public Sub RibbonRun(control As IRibbonControl)
    RunPython "import thidua_xl.xl as x; x.run('" & control.Tag & "')"
End Sub

' The same entry point for a shape, a form button or Alt+F8: ThiDuaRun "kiem_tra"
Public Sub ThiDuaRun(ByVal action As String)
    RunPython "import thidua_xl.xl as x; x.run('" & action & "')"
End Sub
