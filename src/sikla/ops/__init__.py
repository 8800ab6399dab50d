"""Running SIKLA as a service: the production server, workers, health and metrics, structured
logs, the read replica, backups. Nothing here knows about children's rights; everything else
may use it."""
