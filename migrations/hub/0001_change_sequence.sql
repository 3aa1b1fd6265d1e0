-- One sequence stamps every row change: the pull feed's cursor. A sequence, not max()+1, so that
-- several hub processes on one database never hand out the same number.
CREATE SEQUENCE IF NOT EXISTS change_seq;
