"""Comments on a task: writing one (the form is also on the task's page), and withdrawing one
after a confirmation page. The task or comment comes from the user's province (else 404),
tasks.permissions decides (else 403), tasks.workflow writes the history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tasks import workflow
from tasks.comment_forms import DATALIST_ID, comment_form
from tasks.models import Task, TaskUpdate
from tasks.permissions import can_withdraw


@require_http_methods(["GET", "POST"])
def comment(request, pk):
    task = get_object_or_404(
        Task.objects.visible_to(request.user).select_related("plan__province").with_roles_of(request.user),
        pk=pk,
    )
    form = comment_form(task, request.user, request.POST if request.method == "POST" else None)
    if form is None:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            update = workflow.comment(
                task, author=request.user, text=form.cleaned_data["text"], catalogue=form.catalogue
            )
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your comment has been added."))
            return redirect(f"{task.get_absolute_url()}#update-{update.pk}")
    context = {"task": task, "form": form, "datalist_id": DATALIST_ID}
    return render(request, "tasks/comment_form.html", context)


@require_http_methods(["GET", "POST"])
def withdraw_comment(request, pk):
    """GET: the comment and a button to confirm; POST: withdraw it."""
    comment = get_object_or_404(
        TaskUpdate.objects.visible_to(request.user).comments()
        .select_related("task__plan", "author", "agency", "withdrawal__author"),
        pk=pk,
    )
    task = comment.task
    if not can_withdraw(request.user, comment):
        raise PermissionDenied
    back = f"{task.get_absolute_url()}#update-{comment.pk}"
    if comment.withdrawal_entry is not None:
        messages.info(request, _("This comment has already been withdrawn."))
        return redirect(back)
    if request.method == "POST":
        try:
            workflow.withdraw_comment(comment, author=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The comment has been withdrawn."))
        return redirect(back)
    return render(request, "tasks/comment_withdraw.html", {"task": task, "comment": comment})
