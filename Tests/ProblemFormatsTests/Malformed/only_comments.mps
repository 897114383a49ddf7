* nothing here

* still nothing
