"""The numbers to call when a child is in danger, in one place: every page that names one makes it
a tap-to-call (`tel:`) or WhatsApp link (the `hotlines` template tag)."""

from django.utils.translation import gettext_lazy as _

POLICE = "110"
SAPA_PHONE = "129"  # SAPA 129, KemenPPPA's national line for women and children
SAPA_WHATSAPP = "08111-129-129"
SAPA_WHATSAPP_URL = "https://wa.me/628111129129"

LINKS = [
    {"label": _("Polisi 110"), "href": f"tel:{POLICE}", "testid": "call-police"},
    {"label": _("Telepon SAPA 129"), "href": f"tel:{SAPA_PHONE}", "testid": "call-sapa"},
    {
        "label": _("WhatsApp SAPA %(n)s") % {"n": SAPA_WHATSAPP},
        "href": SAPA_WHATSAPP_URL,
        "testid": "whatsapp-sapa",
    },
]
