"""Wagtail pages for the four record kinds, their editing workflow and
permissions, and publishing them into the hub's catalogue."""
