"""The museum's exhibits and the prompts the kiosk asks visitors about them."""
