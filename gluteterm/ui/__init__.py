"""The Textual app: navigation, the live session, sound, screens and widgets."""
