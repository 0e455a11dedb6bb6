"""thidua_xl: thi đua – khen thưởng for a provincial Sở Y tế.

The pipeline, one module per stage: intake → validate → consolidate → documents → mail;
the CLI (cli.py) and the Excel buttons (xl.py) are thin adapters over it.
"""
__version__ = "0.1.0"
