"""One grid over many processes: leases, the chief's server, the fenced client, chief/worker tuners,
the launcher."""
