loops: nested loops: prints 5 rows of 10 stars
cells: c0 rows left; c1 star; c2 newline; c3 stars left in the row
+++++ > ++++++++++++++++++++++++++++++++++++++++++ > ++++++++++ <<
[
  >>> ++++++++++
  [ << . >> - ]
  < .
  << -
]
