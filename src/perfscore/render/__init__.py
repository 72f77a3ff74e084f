"""Scorecards, audits and tables as people and programs read them.

One module per output: text, Markdown, HTML, the ``perfscore.report/1`` JSON document,
CSV and records.
"""
