"""``make fuzz``: schemathesis against any endpoint, or against the embedded emulator."""
