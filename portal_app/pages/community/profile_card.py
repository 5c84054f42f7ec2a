"""/community's "Your community profile" card: the display name (the error beside
it) and the picture (preview, upload, remove)."""

import reflex as rx

from components.file_upload import named_dropzone
from components.i18n import t
from state.community.profile_card import AVATAR_UPLOAD
from state.community.profile_card import CommunityProfileState as P

MUTED = "var(--gray-11)"
ERROR = "var(--red-11)"
AVATAR_SIZE = "72px"
ACCEPT = {"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "image/webp": [".webp"]}


def avatar(url, initials, size: str = AVATAR_SIZE, alt="") -> rx.Component:
    """A member's picture, or their initials in a circle (the name is beside it, so
    the picture's text alternative is empty unless `alt` is given)."""
    return rx.cond(
        url != "",
        rx.image(src=url, alt=alt, width=size, height=size, border_radius="50%",
                 object_fit="cover", flex_shrink="0"),
        rx.center(rx.text(initials, weight="bold", aria_hidden="true"), width=size,
                  height=size, border_radius="50%", background="var(--accent-4)",
                  color="var(--accent-12)", flex_shrink="0"),
    )


def name_form() -> rx.Component:
    return rx.form(rx.vstack(
        rx.el.label(t("Display name"), html_for="community-display-name",
                    style={"font_weight": "500"}),
        rx.text(t("The name other members see. 2 to 40 characters."),
                id="community-display-name-hint", size="1", color=MUTED),
        rx.hstack(
            rx.input(id="community-display-name", name="display_name",
                     default_value=P.display_name, max_length=40, size="3",
                     auto_complete="nickname",
                     aria_describedby="community-display-name-hint community-display-name-error",
                     aria_invalid=rx.cond(P.errors["display_name"] != "", "true", "false"),
                     width="18em"),
            rx.button(t("Save name"), type="submit", size="3"),
            spacing="2", wrap="wrap"),
        rx.text(P.errors["display_name"], id="community-display-name-error", role="alert",
                size="2", color=ERROR, min_height="1.5em"),
        spacing="1", width="100%"),
        on_submit=P.save_name, key=P.display_name)


def picture_form() -> rx.Component:
    chosen = rx.selected_files(AVATAR_UPLOAD)
    return rx.vstack(
        rx.text(t("Picture"), weight="medium", as_="div"),
        rx.hstack(
            avatar(P.avatar_url, P.initials, alt=t("Your picture")),
            rx.vstack(
                named_dropzone(rx.upload.root(
                    rx.hstack(rx.icon("image", size=16, aria_hidden="true"),
                              rx.text(t("Choose a picture"), size="2"),
                              spacing="2", align="center"),
                    id=AVATAR_UPLOAD, multiple=False, max_files=1, accept=ACCEPT,
                    max_size=2 * 1024 * 1024, border="1px dashed var(--gray-8)",
                    border_radius="6px", padding="0.5em 0.8em", cursor="pointer"),
                    t("Choose a picture")),
                rx.text(t("PNG, JPEG or WEBP, at most 2 MB."), size="1", color=MUTED),
                rx.foreach(chosen, lambda name: rx.text(name, size="2")),
                rx.hstack(
                    rx.button(t("Upload picture"), size="2", type="button",
                              disabled=chosen.length() == 0,
                              on_click=P.upload_avatar(rx.upload_files(upload_id=AVATAR_UPLOAD))),
                    rx.cond(P.avatar_url != "",
                            rx.button(t("Remove picture"), size="2", variant="soft",
                                      color_scheme="red", type="button",
                                      on_click=P.remove_avatar)),
                    spacing="2", wrap="wrap"),
                spacing="2"),
            spacing="4", align="start", wrap="wrap"),
        rx.text(P.errors["avatar"], role="alert", size="2", color=ERROR, min_height="1.5em"),
        spacing="2", width="100%")


def profile_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(t("Your community profile"), size="5", as_="h2"),
        rx.text(t("Other members see this name and picture, never your full name."),
                size="2", color=MUTED),
        name_form(),
        picture_form(),
        spacing="3", width="100%"), width="100%")
