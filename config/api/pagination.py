"""Cursor pagination for every list: ``?cursor=`` as the ``next`` and ``previous`` links give it, and
``?page_size=`` (1 to ``MAX_PAGE_SIZE``). A cursor stays right while rows are added, which pages
numbered by offset do not. Lists are ordered by id unless the endpoint says otherwise."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 200


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "pk"
    invalid_cursor_message = _("The cursor is not valid: use the next or previous link of a page.")

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except Exception as error:  # DRF answers a bad cursor 404 (NotFound); it is the caller's error
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from error

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_page_size(self, request):
        written = request.query_params.get(self.page_size_query_param)
        if written is None:
            return self.page_size
        if not (written.isascii() and written.isdecimal() and 1 <= int(written) <= self.max_page_size):
            raise ValidationError({self.page_size_query_param: [
                _("Write a whole number from 1 to %(max)s.") % {"max": self.max_page_size}]})
        return int(written)
