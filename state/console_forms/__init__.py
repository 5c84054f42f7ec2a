"""Console → Forms (issue 19, staff side): one module per tab of /console/forms
(outstanding.py, templates.py, packets.py, verify.py), the forms section of the
client page (client.py), and the labels they share (labels.py)."""
