"""The law as data: rule records (data/*.toml), their loading, and the check kinds that run them."""
from .checks import HISTORY_KINDS, INITIATIVE_KINDS, KINDS, REGISTER_KINDS
from .context import Context
from .loading import load_builtin, load_rules, read_override_file
from .records import REGIME_A, REGIME_B, Rule, RuleSet, regime_for_year

__all__ = ["HISTORY_KINDS", "INITIATIVE_KINDS", "KINDS", "REGISTER_KINDS", "REGIME_A", "REGIME_B", "Context", "Rule",
           "RuleSet", "load_builtin", "load_rules", "read_override_file", "regime_for_year"]
