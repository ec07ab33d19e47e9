// Kept free of imports: the document workers load it (and little else) on start.

/** The XmlFragment of a proposal's document that holds its rich-text body. */
export const DOC_BODY_FIELD = 'body';
