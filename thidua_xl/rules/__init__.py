"""The law as data: rule records (data/*.toml) and the check kinds that run them."""
from .engine import KINDS, REGIME_A, REGIME_B, Rule, RuleSet, load_builtin, load_rules, regime_for_year

__all__ = ["KINDS", "REGIME_A", "REGIME_B", "Rule", "RuleSet", "load_builtin", "load_rules", "regime_for_year"]
