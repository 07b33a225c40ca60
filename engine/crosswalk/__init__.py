"""Crosswalks between frameworks: derived from concept sets, curated in SSSOM, composed, checked, applied."""
