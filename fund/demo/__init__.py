"""Demo data for Drenthe: users for every role, organisations, applications in every state."""
