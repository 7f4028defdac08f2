//! `asyncwork watch` (filled in below).
