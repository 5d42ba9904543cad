"""Kuest CLOB: cancel one order, many, all, or a market's."""
