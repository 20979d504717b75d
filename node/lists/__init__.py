"""Readers of sanctions lists as their publishers write them (UN Security Council XML)."""
