"""`layout plan`: the page planned automatically from its stories, filled to the line (see README)."""
from .planner import Plan, PlanError, PlanResult, plan_folder

__all__ = ["Plan", "PlanError", "PlanResult", "plan_folder"]
