"""Campaigns: a campaign file → its shots → durable jobs on an executor (a local process pool
or Ray), resumable after a crash, each output consent-checked, signed and recorded."""
