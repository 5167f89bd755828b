from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from goals import access
from goals.models import Evidence


def download(request, pk):
    """An evidence file, to those who may read its program; always as a
    download, never shown inline (an uploaded HTML file must not run)."""
    evidence = get_object_or_404(Evidence.objects.select_related("program__category__plan"),
                                 pk=pk)
    if not access.can_read(request.user, evidence.program.category.plan.institution):
        raise Http404
    response = FileResponse(evidence.file.open("rb"), as_attachment=True,
                            filename=evidence.name, content_type="application/octet-stream")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
