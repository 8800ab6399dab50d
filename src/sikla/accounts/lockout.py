"""What a locked-out client sees: JSON in the API's error shape, the lockout page elsewhere."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

LOCKED_MESSAGE = "Terlalu banyak percobaan gagal; akun dikunci sementara."


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": LOCKED_MESSAGE}, status=429)
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
