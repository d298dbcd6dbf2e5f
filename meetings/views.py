from django.shortcuts import render

from meetings.permissions import get_meeting_for_user


def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})
