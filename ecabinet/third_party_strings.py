"""Messages of our dependencies that people see, so that our catalogue can
give them in Vietnamese (Django REST framework and django-allauth ship few or
no Vietnamese translations). Only marked for extraction; never imported."""

from django.utils.translation import gettext_noop as _

STRINGS = [
    # django-allauth
    _("The username and/or password you specified are not correct."),
    _("Too many failed login attempts. Try again later."),
    _("This field is required."),
    # Django REST framework
    _("Authentication credentials were not provided."),
    _("Incorrect authentication credentials."),
    _("Invalid token."),
    _("Invalid token header. No credentials provided."),
    _("User inactive or deleted."),
    _("You do not have permission to perform this action."),
    _("Not found."),
    _('Method "{method}" not allowed.'),
    _('Unsupported media type "{media_type}" in request.'),
    _("Request was throttled."),
    _("This field may not be null."),
    _("This field may not be blank."),
    _("Not a valid string."),
    _("Null characters are not allowed."),
    _("Ensure this field has no more than {max_length} characters."),
    _("A valid integer is required."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _("No data provided"),
    _("Datetime has wrong format. Use one of these formats instead: {format}."),
    _("Expected a datetime but got a date."),
    _("Datetime value out of range."),
    _('"{input}" is not a valid choice.'),
    _('Expected a list of items but got type "{input_type}".'),
    _("This list may not be empty."),
    _("Ensure this field has no more than {max_length} elements."),
]
