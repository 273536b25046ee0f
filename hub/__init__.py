"""Agora's hub: the museum's server that receives kiosk contributions, lets curators moderate and publish them."""
