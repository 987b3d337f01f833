"""The model of customers buying: deals, the buying group, the buying process, decisions and the world's clock."""
