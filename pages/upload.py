import streamlit as st

st.title("upload")
st.info("Đang xây dựng")
