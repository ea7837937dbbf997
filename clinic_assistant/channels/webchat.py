"""Rasa's socket.io channel (the website widget), never silent (safety_net.py)."""

from rasa.core.channels import socketio

from clinic_assistant.channels.safety_net import NeverSilent


class SocketIOInput(NeverSilent, socketio.SocketIOInput):
    pass
