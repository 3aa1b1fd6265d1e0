// sax ships no types; these are the parts the MARCXML reader uses.
declare module 'sax' {
  interface Tag {
    name: string;
    attributes: Record<string, string>;
  }
  interface SAXParser {
    onopentag: (node: Tag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    oncdata: (text: string) => void;
    onerror: (error: Error) => void;
    write(chunk: string): SAXParser;
    close(): SAXParser;
  }
  const sax: { parser(strict: boolean, options?: Record<string, unknown>): SAXParser };
  export default sax;
}
