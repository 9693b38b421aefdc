"""Stage 1, reading: inbox and HTTP sources → bytes kept in the landing area → decoded text
(formats, encodings) → normalized text (traditional → simplified, noise removed) with offsets back
to the original."""
