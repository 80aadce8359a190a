"""The parent portal: a guardian's children, documents, consent and signatures."""
