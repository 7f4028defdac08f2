//! Command implementations (filled in below).
