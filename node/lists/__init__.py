"""Readers of sanctions lists as their publishers write them.

One module per published format: :mod:`.ofac` for the US Treasury's
``sdnList`` XML (the SDN and consolidated non-SDN lists), :mod:`.un` for the
UN Security Council consolidated list XML.
"""
