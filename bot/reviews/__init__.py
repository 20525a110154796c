"""Reviews once accepted: their action plans (recommendations and the actions that answer them) and themes.

The service other features call is `ActionPlans` (role-checked, for people) and, inside a caller's own
unit of work, `add_action_item(session, ...)` (for the core, e.g. a case discussion recording an agreed
action). Every change is an event in the referral's history.
"""

from bot.reviews.action_plans import ActionPlanError, ActionPlans, add_action_item
from bot.reviews.models import ActionItem, ReviewTheme
from bot.reviews.themes import Themes
from bot.reviews.views import ActionView

__all__ = ["ActionItem", "ActionPlanError", "ActionPlans", "ActionView", "ReviewTheme", "Themes", "add_action_item"]
