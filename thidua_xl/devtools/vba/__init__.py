"""Writing the VBA project of ThiDua.xlsm from text sources (MS-OVBA)."""
