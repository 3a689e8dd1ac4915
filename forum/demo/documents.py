"""Demo documents in the libraries: a PDF on Justicia, a CSV on Transparencia, minutes for the members of the
SEGOB–CSO working group and a bilingual PDF in the general library. The files are generated here (tiny but
valid), and a document is only added when no document with its Spanish title exists yet."""

from __future__ import annotations

import io

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from forum.accounts import services as accounts
from forum.documents import services as documents
from forum.documents.models import Document
from forum.extensions import db
from forum.platforms.models import Platform
from forum.threads.models import Thread


def tiny_pdf(*lines: str) -> bytes:
    """A one-page PDF showing ``lines`` (ASCII text) in Helvetica, with a correct cross-reference table."""
    text = " ".join(f"({line.replace(chr(92), '').replace('(', '').replace(')', '')}) Tj 0 -18 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text} ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    start = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode())
    return out.getvalue()


CSV = ("estado,solicitudes_2024,respondidas_a_tiempo\n"
       "Oaxaca,1843,0.81\nSan Luis Potosí,1207,0.77\nCiudad de México,9412,0.88\n").encode()

MINUTES = ("Minuta de la sesión 3 de la Mesa técnica SEGOB–OSC\n\n"
           "1. Revisión del borrador del protocolo de consulta.\n"
           "2. Acuerdo: las OSC envían comentarios al capítulo 2 antes del viernes.\n"
           "3. Próxima sesión: en línea, a las 10:00 (hora del centro).\n").encode()

#: platform slug (None: the general library), uploader's e-mail, file name, content, metadata
DOCUMENTS = [
    ("justicia", "rmm@foro.example", "protocolo-interpretes.pdf",
     tiny_pdf("Protocolo de interpretes en lenguas indigenas", "Red de Mujeres por la Justicia, 2025"),
     dict(title_es="Protocolo de intérpretes en lenguas indígenas",
          title_en="Protocol for interpreters of Indigenous languages",
          description_es="Propuesta de protocolo para garantizar intérpretes en las fiscalías de Oaxaca.",
          description_en="A proposed protocol to guarantee interpreters in Oaxaca's prosecutors' offices.",
          kind="policy_draft", language="es", year=2025, access="public", tags=["oaxaca", "justicia-indígena"])),
    ("transparencia", "jt@foro.example", "solicitudes-2024.csv", CSV,
     dict(title_es="Solicitudes de información por estado, 2024", title_en="",
          description_es="Datos abiertos: solicitudes de acceso a la información y respuestas a tiempo.",
          kind="report", language="es", year=2024, access="public", tags=["datos-abiertos"])),
    ("mesa-tecnica-segob-osc", "segob@foro.example", "minuta-sesion-3.txt", MINUTES,
     dict(title_es="Minuta de la sesión 3", title_en="Minutes of session 3",
          kind="minutes", language="es", year=2026, access="members")),
    (None, "admin@foro.example", "programme-overview.pdf",
     tiny_pdf("EU-Mexico Social Cohesion Programme", "Programa de Cohesion Social UE-Mexico"),
     dict(title_es="Programa de Cohesión Social UE–México: panorama",
          title_en="EU–Mexico Social Cohesion Programme: overview",
          description_es="Objetivos, plataformas temáticas y calendario del programa.",
          description_en="Aims, thematic platforms and timetable of the programme.",
          kind="report", language="both", year=2026, access="public")),
]


def seed() -> int:
    """Add the demo documents that are missing; returns how many were added. The caller commits."""
    created = 0
    for slug, email, name, content, metadata in DOCUMENTS:
        if db.session.scalar(select(Document.id).where(Document.title_es == metadata["title_es"])) is not None:
            continue
        uploader = accounts.find_user_by_email(email)
        platform = db.session.scalar(select(Platform).where(Platform.slug == slug)) if slug else None
        if uploader is None or (slug and platform is None):
            continue
        threads = []
        if platform is not None and metadata["access"] == "public":
            first = db.session.scalar(select(Thread.id).where(Thread.platform_id == platform.id)
                                      .order_by(Thread.id).limit(1))
            threads = [first] if first else []
        documents.upload(uploader, file=FileStorage(io.BytesIO(content), filename=name), platform=platform,
                         thread_ids=threads, **metadata)
        created += 1
    db.session.flush()
    return created
