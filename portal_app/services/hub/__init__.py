"""The hub: which apps a client may use, the grants behind them, offers."""
