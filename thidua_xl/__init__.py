"""thidua_xl: thi đua – khen thưởng for a provincial Sở Y tế.

The year runs through one pipeline (pipeline/: read → validate → consolidate → decide → render →
deliver → archive); the command line (cli/) and the Excel buttons (xl.py) are thin adapters over it.
"""
__version__ = "0.1.0"
