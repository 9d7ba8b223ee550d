"""Lessons learned (issue 6): recommendations and actions, the Delivery Plan, commentary rounds, Delivery Group
meetings, the Board report and learning briefings. Each public function is one transaction or one read."""
