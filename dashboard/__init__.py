"""The Counterclaim dashboard: a Dash app that asks `claims` for data and draws it."""
