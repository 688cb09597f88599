"""The sync engine: mapping rules, jobs for each rule, and the durable state."""
