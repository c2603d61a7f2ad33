-- The demo (issue 9): present when `binome serve --demo` loaded the
-- generated population into this database. Its absence, with accounts or
-- schools present, means real data that the demo never touches.
CREATE TABLE demo (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seed INTEGER NOT NULL,
    loaded_at TEXT NOT NULL
);
