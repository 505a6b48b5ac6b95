-- Retention by time finds the last commit before a cut-off instant (docs/storage.md, "Retention").
CREATE INDEX committed_sub_dag_committed_at_idx ON committed_sub_dag (committed_at, commit_index);
